export { default as SequenceDiagram } from './SequenceDiagram.svelte';
export type { DiagramStep, Side } from './types';
