import { z } from 'zod';

/** Built-in variants an audit can compare against. */
export const AUDIT_BUILT_INS = ['ct', 'ict', 'cd-exact', 'cd-heun', 'cd-euler'] as const;

/**
 * Options of `cmbounds audit`; every flag is also a camelCase field of `--config`. The defaults are the quick audit:
 * 3 rungs × 4 variants × 3 training seeds of a 2×64 SiLU MLP, 2000 steps each.
 */
export const auditConfigSchema = z
  .object({
    /** The user's TrainingVariant module; with `model`, the model's spec (what the report names). */
    variant: z.string().min(1),
    /** A trained or external model to compare with the built-ins instead of a variant to train (folder or `cmd:…`). */
    model: z.string().min(1).optional(),
    /** With `model`: its data law when it declares none, or to override it (built-in name or TargetSpec file). */
    target: z.string().min(1).optional(),
    modelTimeout: z.number().positive().default(120),
    modelBatch: z.number().int().positive().default(4096),
    ladder: z.enum(['quick', 'full']).default('quick'),
    /** Explicit rungs instead of a ladder: built-in target names or product-<d>d-sep<s>-w<percent>. */
    targets: z.array(z.string().min(1)).min(1).optional(),
    builtIns: z.array(z.enum(AUDIT_BUILT_INS)).min(1).default(['ct', 'ict', 'cd-exact']),
    process: z.enum(['ve', 'vp-ou']).default('ve'),
    functionClass: z.enum(['mlp', 'affine']).default('mlp'),
    steps: z.number().int().positive().default(2000),
    batchSize: z.number().int().positive().default(128),
    width: z.number().int().positive().default(64),
    depth: z.number().int().positive().default(2),
    lr: z.number().positive().default(3e-3),
    emaDecay: z.number().min(0).max(1).default(0.99),
    /** Grid size N of the cd-* built-ins. */
    gridSize: z.number().int().min(2).default(18),
    /** Least-squares samples per grid node (affine class). */
    samplesPerNode: z.number().int().min(2).default(512),
    /** Draws per coupling estimate. */
    n: z.number().int().min(2).default(1000),
    /** Times of the coupling bound (default: tMax, 5 and 0.5 on VE). */
    times: z.array(z.number().positive()).min(1).optional(),
    /** Monte Carlo draws of the model-level checks. */
    checkSamples: z.number().int().min(2).default(10_000),
    seed: z.number().int().min(0).default(1),
    /** Training seeds per variant (derived from `seed` by `trainingSeeds`); 1 is a flag for a quick look, not the default. */
    seeds: z.number().int().min(1).max(100).default(3),
    out: z.string().min(1).optional(),
    json: z.boolean().default(false),
    falseFailRate: z.number().gt(0).lt(1).default(1e-3),
    controls: z.boolean().default(true),
    cacheDir: z.string().min(1).default('.cmbounds-cache'),
    backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
    /** Worker threads for the trained models (independent units; the report is the same for every count). CLI default: the number of cores; 1 or unset trains in-process. */
    workers: z.number().int().min(1).optional(),
  })
  .strict();

export type AuditConfig = z.infer<typeof auditConfigSchema>;
