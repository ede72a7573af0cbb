import { Graph, layout } from '@dagrejs/dagre';
import type { GraphEdgeVM, GraphNodeVM } from '../../model/chain/view-model';

export interface PlacedNode extends GraphNodeVM {
  readonly x: number;
  readonly y: number;
}
export interface PlacedEdge extends GraphEdgeVM {
  readonly points: readonly { x: number; y: number }[];
}
export interface IdentityBox {
  readonly identity: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export const NODE_WIDTH = 300;
export const NODE_HEIGHT = 54;
/** A node with a second line that tells it apart from another of the same name (issuer or dates). */
export const NODE_HEIGHT_DETAILED = 72;

/**
 * Lays out the issuer graph with dagre: roots at the top, the leaf at the bottom ("signed by" points up).
 * Certificates that are faces of one identity (cross-signed versions of a CA) get a box around them.
 */
export function layoutGraph(nodes: readonly GraphNodeVM[], edges: readonly GraphEdgeVM[]) {
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: 'BT', nodesep: 28, ranksep: 64, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const nodeHeight = nodes.some((n) => n.detail) ? NODE_HEIGHT_DETAILED : NODE_HEIGHT;
  for (const n of nodes) g.setNode(n.id, { width: NODE_WIDTH, height: nodeHeight });
  edges.forEach((e, i) => g.setEdge(e.child, e.issuer, {}, String(i)));
  layout(g);
  const placed: PlacedNode[] = nodes.map((n) => ({ ...n, x: g.node(n.id).x ?? 0, y: g.node(n.id).y ?? 0 }));
  const placedEdges: PlacedEdge[] = edges.map((e, i) => ({
    ...e,
    points: g.edge(e.child, e.issuer, String(i)).points ?? [],
  }));
  const groups = new Map<string, PlacedNode[]>();
  for (const n of placed) groups.set(n.identity, [...(groups.get(n.identity) ?? []), n]);
  const boxes: IdentityBox[] = [];
  for (const [identity, members] of groups) {
    if (members.length < 2) continue;
    const xs = members.map((m) => m.x);
    const ys = members.map((m) => m.y);
    const pad = 8;
    boxes.push({
      identity,
      x: Math.min(...xs) - NODE_WIDTH / 2 - pad,
      y: Math.min(...ys) - nodeHeight / 2 - pad - 14,
      width: Math.max(...xs) - Math.min(...xs) + NODE_WIDTH + 2 * pad,
      height: Math.max(...ys) - Math.min(...ys) + nodeHeight + 2 * pad + 14,
    });
  }
  const size = g.graph();
  return {
    nodes: placed,
    edges: placedEdges,
    boxes,
    nodeHeight,
    width: size.width ?? 400,
    height: size.height ?? 200,
  };
}
