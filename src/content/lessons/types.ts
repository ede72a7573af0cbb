/** A lesson is content: steps of prose, each beside one lab in one URL state. Views render it verbatim. */

export type LessonLab = 'handshake' | 'chain' | 'sslmode';

export interface Checkpoint {
  /** Asked BEFORE the lab's result is shown: predict the outcome. */
  readonly question: string;
  readonly choices: readonly { readonly id: string; readonly text: string }[];
  /** The id of the right choice. */
  readonly answer: string;
  /** Shown after answering: the rule behind the outcome. */
  readonly explanation: string;
}

export interface Step {
  readonly id: string;
  readonly title: string;
  /** Plain text; blank lines separate paragraphs, `code` in backticks. */
  readonly body: string;
  readonly lab: LessonLab | null;
  /** URL parameters of that lab (validated against its schema by tests/unit/lessons). */
  readonly state: Readonly<Record<string, string>>;
  /** Speaker notes for presenter mode. */
  readonly notes: string;
  readonly checkpoint?: Checkpoint;
}

export interface Lesson {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly steps: readonly Step[];
}
