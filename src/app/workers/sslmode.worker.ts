/**
 * The sslmode Lab's worker: the sslmode × driver matrix (36 connections explained by the engine), so the page
 * only renders it.
 */
import { serveRpc } from './rpc';
import { matrixCells } from '../model/sslmode/matrix';

export const sslmodeMethods = { matrixCells };

export type SslmodeMethods = typeof sslmodeMethods;

serveRpc(self as unknown as Parameters<typeof serveRpc>[0], sslmodeMethods);
