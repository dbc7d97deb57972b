/**
 * Bibliography of the statements in `theorems/`: one entry per paper key. `source.paper` of every check must be
 * a key of `papers` (checked by `cmbounds catalog --lint`). Provenance notes follow THEORY.md §0.1 and §8.
 */

export interface PaperEntry {
  readonly authors: string;
  readonly title: string;
  readonly year: number;
  readonly venue?: string;
  readonly arxiv?: string;
  /** What of the paper was actually read when the statements were encoded (THEORY.md §0.1). */
  readonly retrieved: string;
}

export const papers = {
  li2024: {
    authors: 'Gen Li, Zhihan Huang, Yuting Wei',
    title: 'Towards a mathematical theory for consistency training in diffusion models',
    year: 2024,
    venue: 'AISTATS 2025 (PMLR v258)',
    arxiv: '2402.07802',
    retrieved: 'abstract, seed summary and a secondary report with equation numbers; full text not retrieved (THEORY §1, §8)',
  },
  lyu2023: {
    authors: 'Lyu, Feng, Chen',
    title: 'Convergence guarantee for consistency models',
    year: 2023,
    venue: 'ICML 2024 (PMLR v235)',
    arxiv: '2308.11449',
    retrieved: 'abstract, the four ICLR-2024 reviews, first page of the PMLR PDF (THEORY §2)',
  },
  song2023: {
    authors: 'Yang Song, Prafulla Dhariwal, Mark Chen, Ilya Sutskever',
    title: 'Consistency models',
    year: 2023,
    venue: 'ICML 2023',
    arxiv: '2303.01469',
    retrieved: 'secondary report and public code (THEORY §3)',
  },
  song2024: {
    authors: 'Yang Song, Prafulla Dhariwal',
    title: 'Improved techniques for training consistency models',
    year: 2024,
    venue: 'ICLR 2024',
    arxiv: '2310.14189',
    retrieved: 'secondary report and public code (THEORY §3.7)',
  },
  note: {
    authors: 'the project brief',
    title: 'Handwritten note on consistency distillation and training (VE, σ(t) = √(2t))',
    year: 2024,
    retrieved: 'seed file 001 (THEORY §5)',
  },
} as const satisfies Record<string, PaperEntry>;

export type PaperKey = keyof typeof papers;
