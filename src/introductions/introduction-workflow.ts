// The introduction state machine, pure: which action may move an introduction from which state,
// and who may take it.
//
//   proposed ──accept (each side)──▶ accepted ──meeting-held──▶ meeting-held ──▶ collaboration
//       └─────decline (either side)──▶ declined                             └──▶ closed-no-fit
import type { IntroductionState, PartyResponse } from '../db/database.js';
import { conflict, forbidden } from '../errors.js';

export const INTRODUCTION_ACTIONS = ['accept', 'decline', 'meeting-held', 'collaboration', 'closed-no-fit'] as const;
export type IntroductionAction = (typeof INTRODUCTION_ACTIONS)[number];

export interface WorkflowState {
  state: IntroductionState;
  aResponse: PartyResponse;
  bResponse: PartyResponse;
}

/** Who is acting, relative to this introduction. */
export interface WorkflowActor {
  isAdmin: boolean;
  /** 'a' or 'b' when the actor speaks for one of the two companies. */
  side: 'a' | 'b' | null;
  /** Leads the cluster the introduction was brokered in (or one both parties are members of). */
  isBroker: boolean;
}

const FOLLOW_UP: Partial<Record<IntroductionAction, { from: IntroductionState; to: IntroductionState }>> = {
  'meeting-held': { from: 'accepted', to: 'meeting-held' },
  collaboration: { from: 'meeting-held', to: 'collaboration' },
  'closed-no-fit': { from: 'meeting-held', to: 'closed-no-fit' },
};

export function applyAction(current: WorkflowState, action: IntroductionAction, actor: WorkflowActor): WorkflowState {
  if (action === 'accept' || action === 'decline') {
    // Only the companies themselves answer an introduction (an admin may record it for a side).
    if (!actor.side) throw forbidden('Only the two companies answer an introduction');
    if (current.state !== 'proposed') throw conflict(`Cannot ${action} an introduction that is ${current.state}`);
    const key = actor.side === 'a' ? 'aResponse' : 'bResponse';
    if (current[key] !== 'pending') throw conflict(`This side has already ${current[key]}`);
    const next: WorkflowState = { ...current, [key]: action === 'accept' ? 'accepted' : 'declined' };
    if (next.aResponse === 'declined' || next.bResponse === 'declined') next.state = 'declined';
    else if (next.aResponse === 'accepted' && next.bResponse === 'accepted') next.state = 'accepted';
    return next;
  }
  const step = FOLLOW_UP[action];
  if (!step) throw conflict(`Unknown action ${action}`);
  if (!(actor.isAdmin || actor.isBroker || actor.side)) throw forbidden('Only the companies or their cluster leaders follow up an introduction');
  if (current.state !== step.from) throw conflict(`${action} needs an introduction that is ${step.from}, not ${current.state}`);
  return { ...current, state: step.to };
}
