/**
 * One-dimensional label placement: labels that share a column (the roofline's roof labels, all
 * right-aligned at the plot's edge) are moved apart vertically by at least `gap`, each as close
 * to where it wants to be as the others allow, and kept within [lo, hi].
 *
 * Overlapping labels are merged into clusters, each cluster centred on the mean of its members'
 * wishes (the least-squares position for a rigid stack), repeating until no two clusters overlap.
 * Returns the positions in the input order.
 */
export function spreadLabels(want: readonly number[], gap: number, lo: number, hi: number): number[] {
  const order = want.map((_, i) => i).sort((a, b) => want[a] - want[b] || a - b);
  interface Cluster {
    members: number[];
    /** Sum of (wish − offset in the stack): its mean is the cluster's best top. */
    sum: number;
    top: number;
  }
  const place = (c: Cluster) => {
    const span = (c.members.length - 1) * gap;
    // When the labels cannot all fit, start at lo and let the last ones pass hi (never above lo).
    c.top = Math.max(lo, Math.min(hi - span, c.sum / c.members.length));
  };
  const clusters: Cluster[] = [];
  for (const i of order) {
    const c: Cluster = { members: [i], sum: want[i], top: 0 };
    place(c);
    clusters.push(c);
    // Merge while the previous cluster's stack reaches into this one.
    while (clusters.length > 1) {
      const b = clusters[clusters.length - 1];
      const a = clusters[clusters.length - 2];
      if (a.top + a.members.length * gap <= b.top + 1e-9) break;
      const n = a.members.length;
      a.sum += b.sum - b.members.length * n * gap;
      a.members.push(...b.members);
      clusters.pop();
      place(a);
    }
  }
  const out = new Array<number>(want.length);
  for (const c of clusters) c.members.forEach((i, k) => (out[i] = c.top + k * gap));
  return out;
}
