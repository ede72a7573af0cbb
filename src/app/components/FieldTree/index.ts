export { default as FieldTree } from './FieldTree.svelte';
