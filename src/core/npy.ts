import type { PointBatch } from './pointBatch.ts';

/**
 * Encodes an n×d float64 batch as a NumPy `.npy` file (format version 1.0, little-endian `<f8`, C order), so that
 * `numpy.load` reads exactly these doubles. The header is padded with spaces to a multiple of 64 bytes and ends
 * in a newline, as the format specifies (numpy/lib/format.py).
 */
export function encodeNpyFloat64(x: PointBatch): Uint8Array {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${x.n}, ${x.d}), }`;
  const preamble = 10; // magic (6) + version (2) + header length (2)
  const total = Math.ceil((preamble + header.length + 1) / 64) * 64;
  header = header.padEnd(total - preamble - 1, ' ') + '\n';
  const out = new Uint8Array(total + 8 * x.n * x.d);
  out.set([0x93, ...Buffer.from('NUMPY', 'latin1'), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), preamble);
  const view = new DataView(out.buffer, total);
  for (let i = 0; i < x.n * x.d; i++) view.setFloat64(8 * i, x.data[i]!, true);
  return out;
}
