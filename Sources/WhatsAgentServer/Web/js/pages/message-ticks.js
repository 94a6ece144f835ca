// Delivery ticks of the human's own messages (SPEC §7.2): queued → pushed (by a named path) → surfaced (check_messages
// returned it to the agent's client) → acknowledged (its lease was acked), plus held and rejected. The hover text
// gives the time of each step the message reached.

/** [glyph, label] per state. One grey tick until the agent's client has it, two once surfaced, blue once acknowledged. */
export const TICKS = {
  queued: ['✓', 'Queued: stored for the agent'],
  pushed: ['✓', 'Pushed: a hint went out to the agent'],
  surfaced: ['✓✓', 'Surfaced: check_messages returned it to the agent'],
  acknowledged: ['✓✓', 'Acknowledged: the agent\u2019s client has it'],
  held: ['⏸', 'Held by the loop guard'],
  rejected: ['✕', 'Rejected'],
};

const clock = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The hover text: the state's label, then one line per step reached with its time (and the push path). */
export function tickTitle(message) {
  const [, label] = TICKS[message.state] || ['', message.state];
  if (message.state === 'rejected') return label;
  const steps = [`queued ${clock(message.sentAt)}`];
  if (message.pushedAt) steps.push(`pushed ${clock(message.pushedAt)}${message.pushPath ? ` (${message.pushPath})` : ''}`);
  if (message.surfacedAt) steps.push(`surfaced ${clock(message.surfacedAt)}`);
  if (message.acknowledgedAt) steps.push(`acknowledged ${clock(message.acknowledgedAt)}`);
  return [label, ...steps].join('\n');
}
