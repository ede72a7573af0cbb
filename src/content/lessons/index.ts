/** Every lesson, in teaching order. The lessons view is lazy, so this content never weighs on the first page. */
import type { Lesson, Step } from './types';
import { handshakeLesson } from './handshake';
import { tls13Lesson } from './tls13';
import { chainsLesson } from './chains';
import { crossSigningLesson } from './cross-signing';
import { sslmodeLesson } from './sslmode';
import { troubleshootingLesson } from './troubleshooting';
import { forwardSecrecyLesson } from './forward-secrecy';
import { commonClaimsLesson } from './common-claims';

export type { Checkpoint, Lesson, LessonLab, Step } from './types';

export const lessons: readonly Lesson[] = [
  handshakeLesson,
  tls13Lesson,
  chainsLesson,
  crossSigningLesson,
  sslmodeLesson,
  troubleshootingLesson,
  forwardSecrecyLesson,
  commonClaimsLesson,
];

export function findLesson(id: string | undefined): Lesson | undefined {
  return lessons.find((l) => l.id === id);
}

export function findStep(lesson: Lesson, id: string | undefined): { step: Step; index: number } | undefined {
  const index = lesson.steps.findIndex((s) => s.id === id);
  const step = lesson.steps[index];
  return step ? { step, index } : undefined;
}
