// @dagrejs/dagre 3.1.3 ships a `types` entry that points to a file missing from its package; this declares
// the small part of its API that the Chain Lab's graph uses.
declare module '@dagrejs/dagre' {
  export interface NodeLabel {
    width: number;
    height: number;
    x?: number;
    y?: number;
    [key: string]: unknown;
  }
  export interface EdgeLabel {
    points?: { x: number; y: number }[];
    [key: string]: unknown;
  }
  export class Graph {
    constructor(options?: { multigraph?: boolean; compound?: boolean; directed?: boolean });
    setGraph(label: {
      rankdir?: 'TB' | 'BT' | 'LR' | 'RL';
      nodesep?: number;
      ranksep?: number;
      marginx?: number;
      marginy?: number;
    }): this;
    graph(): { width?: number; height?: number };
    setDefaultEdgeLabel(fn: () => object): this;
    setNode(id: string, label: NodeLabel): this;
    setEdge(from: string, to: string, label?: object, name?: string): this;
    node(id: string): NodeLabel;
    edge(from: string, to: string, name?: string): EdgeLabel;
  }
  export function layout(graph: Graph): void;
}
