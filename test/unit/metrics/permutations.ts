/** All permutations of {0, …, n−1} (Heap's algorithm order is irrelevant; n ≤ 8 in tests). */
export function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) {
    for (let k = 0; k <= p.length; k++) {
      const q = p.slice();
      q.splice(k, 0, n - 1);
      out.push(q);
    }
  }
  return out;
}
