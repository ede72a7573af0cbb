export type Side = 'client' | 'server';

/** One arrow of the diagram: a record, a PostgreSQL preamble message, or an alert. */
export interface DiagramStep {
  readonly from: Side;
  readonly title: string;
  /** Smaller text under the arrow: "encrypted", "alert: bad_record_mac", "48 bytes"… */
  readonly note?: string;
  readonly tone?: 'normal' | 'secret' | 'alert' | 'preamble';
}
