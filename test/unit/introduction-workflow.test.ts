import { describe, expect, it } from 'vitest';
import type { IntroductionState } from '../../src/db/database.js';
import { HttpProblem } from '../../src/errors.js';
import { applyAction, INTRODUCTION_ACTIONS, type IntroductionAction, type WorkflowActor, type WorkflowState } from '../../src/introductions/introduction-workflow.js';

const partyA: WorkflowActor = { isAdmin: false, side: 'a', isBroker: false };
const partyB: WorkflowActor = { isAdmin: false, side: 'b', isBroker: false };
const broker: WorkflowActor = { isAdmin: false, side: null, isBroker: true };
const stranger: WorkflowActor = { isAdmin: false, side: null, isBroker: false };
const at = (state: IntroductionState, a = 'pending', b = 'pending') => ({ state, aResponse: a, bResponse: b }) as WorkflowState;

function statusOf(fn: () => unknown): number {
  try {
    fn();
    return 200;
  } catch (error) {
    return error instanceof HttpProblem ? error.status : 500;
  }
}

describe('introduction workflow', () => {
  it('becomes accepted only when both sides accept', () => {
    const half = applyAction(at('proposed'), 'accept', partyA);
    expect(half).toEqual(at('proposed', 'accepted', 'pending'));
    expect(applyAction(half, 'accept', partyB)).toEqual(at('accepted', 'accepted', 'accepted'));
  });

  it('is declined when either side declines', () => {
    expect(applyAction(at('proposed', 'accepted'), 'decline', partyB).state).toBe('declined');
  });

  it('follows up from accepted to meeting-held to collaboration or closed-no-fit', () => {
    const met = applyAction(at('accepted', 'accepted', 'accepted'), 'meeting-held', broker);
    expect(met.state).toBe('meeting-held');
    expect(applyAction(met, 'collaboration', partyA).state).toBe('collaboration');
    expect(applyAction(met, 'closed-no-fit', broker).state).toBe('closed-no-fit');
  });

  it('refuses a side answering twice', () => {
    expect(statusOf(() => applyAction(at('proposed', 'accepted'), 'accept', partyA))).toBe(409);
  });

  it('lets only the companies answer, and nobody uninvolved follow up', () => {
    expect(statusOf(() => applyAction(at('proposed'), 'accept', broker))).toBe(403);
    expect(statusOf(() => applyAction(at('accepted', 'accepted', 'accepted'), 'meeting-held', stranger))).toBe(403);
  });

  // Every action from every state: exactly the legal ones succeed, the rest are 409.
  const LEGAL: Record<IntroductionState, IntroductionAction[]> = {
    proposed: ['accept', 'decline'],
    accepted: ['meeting-held'],
    declined: [],
    'meeting-held': ['collaboration', 'closed-no-fit'],
    collaboration: [],
    'closed-no-fit': [],
  };
  for (const [state, legal] of Object.entries(LEGAL) as [IntroductionState, IntroductionAction[]][]) {
    for (const action of INTRODUCTION_ACTIONS) {
      const expected = legal.includes(action) ? 200 : 409;
      it(`${action} from ${state} → ${expected}`, () => {
        expect(statusOf(() => applyAction(at(state), action, partyA))).toBe(expected);
      });
    }
  }
});
