/** The Chain Lab's and `tls-lab chain`'s words about what was loaded, the same in both. */

/**
 * What is said of the private keys an input held (`ParseReport.discardedPrivateKeys`, at least 1): found and
 * discarded, never kept. The Chain Lab's load report and `tls-lab chain` say the same sentence.
 */
export function discardedKeysNotice(count: number): string {
  return count === 1
    ? 'A private key was found and discarded: it is not kept, shown or analysed.'
    : `${count} private keys were found and discarded: they are not kept, shown or analysed.`;
}
