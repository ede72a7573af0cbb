/**
 * Lesson scores in localStorage under a versioned key. What is read back is validated: a corrupted, foreign
 * or older entry is ignored (treated as no score), never a crash. Storage failures (private mode, quota) are
 * swallowed: scores are a convenience, not data.
 */

export const SCORE_KEY = 'tls-lab.lessons.v1';

export interface Answer {
  readonly choice: string;
  readonly correct: boolean;
}

export interface LessonScore {
  /** Checkpoint answers by step id: the FIRST answer counts. */
  readonly answers: Readonly<Record<string, Answer>>;
  readonly completed: boolean;
}

interface Stored {
  readonly version: 1;
  readonly lessons: Readonly<Record<string, LessonScore>>;
}

const EMPTY: LessonScore = { answers: {}, completed: false };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function validScore(v: unknown): LessonScore | undefined {
  if (!isRecord(v) || typeof v.completed !== 'boolean' || !isRecord(v.answers)) return undefined;
  const answers: Record<string, Answer> = {};
  for (const [step, a] of Object.entries(v.answers)) {
    if (!isRecord(a) || typeof a.choice !== 'string' || typeof a.correct !== 'boolean') return undefined;
    answers[step] = { choice: a.choice, correct: a.correct };
  }
  return { answers, completed: v.completed };
}

/** Parse what was stored; anything that is not a valid version-1 record yields an empty record. */
export function parseStored(raw: string | null): Stored {
  const empty: Stored = { version: 1, lessons: {} };
  if (raw === null) return empty;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return empty;
  }
  if (!isRecord(data) || data.version !== 1 || !isRecord(data.lessons)) return empty;
  const lessons: Record<string, LessonScore> = {};
  for (const [id, score] of Object.entries(data.lessons)) {
    const valid = validScore(score);
    if (valid) lessons[id] = valid;
  }
  return { version: 1, lessons };
}

export class ScoreStore {
  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null) {}

  #read(): Stored {
    try {
      return parseStored(this.storage?.getItem(SCORE_KEY) ?? null);
    } catch {
      return parseStored(null);
    }
  }

  #write(stored: Stored): void {
    try {
      this.storage?.setItem(SCORE_KEY, JSON.stringify(stored));
    } catch {
      // Quota or private mode: the score is simply not kept.
    }
  }

  get(lessonId: string): LessonScore {
    return this.#read().lessons[lessonId] ?? EMPTY;
  }

  all(): Readonly<Record<string, LessonScore>> {
    return this.#read().lessons;
  }

  /** Record an answer; a second answer to the same checkpoint does not change the score. */
  answer(lessonId: string, stepId: string, choice: string, correct: boolean): LessonScore {
    const stored = this.#read();
    const current = stored.lessons[lessonId] ?? EMPTY;
    if (current.answers[stepId]) return current;
    const next: LessonScore = { ...current, answers: { ...current.answers, [stepId]: { choice, correct } } };
    this.#write({ version: 1, lessons: { ...stored.lessons, [lessonId]: next } });
    return next;
  }

  complete(lessonId: string): LessonScore {
    const stored = this.#read();
    const next: LessonScore = { ...(stored.lessons[lessonId] ?? EMPTY), completed: true };
    this.#write({ version: 1, lessons: { ...stored.lessons, [lessonId]: next } });
    return next;
  }

  reset(lessonId: string): void {
    const stored = this.#read();
    const lessons = { ...stored.lessons };
    delete lessons[lessonId];
    this.#write({ version: 1, lessons });
  }
}

/** Correct answers out of the checkpoints answered. */
export function tally(score: LessonScore): { correct: number; answered: number } {
  const all = Object.values(score.answers);
  return { correct: all.filter((a) => a.correct).length, answered: all.length };
}
