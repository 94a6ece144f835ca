// The push path the daemon decided for an agent (SPEC §7.2, issue 16), with its last push and confirmation on hover,
// and a warning badge while pushes go unconfirmed (or a fallback stands in). Everything comes from AgentResponse.
import { badge } from '../ui.js';

const when = (iso) => new Date(iso).toLocaleString();

/** The badges of one agent card: `push: <path>`, and `push unconfirmed` with the daemon's warning. */
export function pushBadges(agent) {
  if (!agent.pushPath) return [];
  const lines = [`Push path: ${agent.pushPath}`];
  if (agent.pushPathReason) lines.push(agent.pushPathReason);
  lines.push(agent.lastPushAt ? `last push ${when(agent.lastPushAt)} (${agent.lastPushPath})` : 'no push yet');
  if (agent.lastPushAt) lines.push(agent.lastPushConfirmedAt ? `last confirmed ${when(agent.lastPushConfirmedAt)}` : 'never confirmed');
  return [
    badge(`push: ${agent.pushPath}`, 'neutral', { title: lines.join('\n'), 'data-testid': 'push-path' }),
    agent.pushWarning ? badge('push unconfirmed', 'warn', { title: agent.pushWarning, 'data-testid': 'push-warning' }) : null,
  ];
}
