// The dependency graph of a set of tasks, drawn as SVG by hand (createElementNS, no library): a layered layout
// (a task sits one layer right of its deepest dependency), dependencies outside the set as dashed nodes, and cycles
// found and drawn in red (the server refuses them, but an import or an old board may hold one).

import { el, slug, svg } from './dom.js';

const NODE_W = 188;
const NODE_H = 50;
const GAP_X = 56;
const GAP_Y = 14;
const PAD = 12;
const TOP = 30; // room above the first row for edges that skip a layer
let graphCount = 0;

function truncate(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** Finds the edges that close a cycle (DFS back edges) and one cycle path for the note. */
function findCycles(ids, depsOf) {
  const color = new Map();
  const back = new Set();
  let cycle = null;
  const stack = [];
  function visit(id) {
    color.set(id, 1);
    stack.push(id);
    for (const dep of depsOf(id)) {
      if (!ids.has(dep)) continue;
      const seen = color.get(dep) || 0;
      if (seen === 1) {
        back.add(`${id}>${dep}`);
        if (!cycle) cycle = [...stack.slice(stack.indexOf(dep)), dep];
      } else if (seen === 0) {
        visit(dep);
      }
    }
    stack.pop();
    color.set(id, 2);
  }
  for (const id of ids) if (!color.get(id)) visit(id);
  return { back, cycle };
}

/**
 * Draws the graph of `tasks` (objects with displayId, title, status, dependsOnTaskIds). `byId` resolves
 * dependencies outside the set (shown dashed). `onOpen(displayId)` opens a node (click, Enter or Space).
 * Returns a block element: the scrollable SVG, or a note when there is nothing to draw.
 */
export function dependencyGraph(tasks, byId, onOpen, label = 'Dependency graph') {
  const inner = new Map(tasks.map((task) => [task.displayId, task]));
  const external = new Map();
  for (const task of tasks) {
    for (const dep of task.dependsOnTaskIds || []) {
      if (!inner.has(dep)) external.set(dep, byId.get(dep) || { displayId: dep, title: '(archived or hidden)', status: '', dependsOnTaskIds: [] });
    }
  }
  const edgesCount = tasks.reduce((sum, task) => sum + (task.dependsOnTaskIds || []).length, 0);
  if (tasks.length === 0) return el('p', { class: 'muted bd-small' }, 'No tasks to draw.');
  if (edgesCount === 0) return el('p', { class: 'muted bd-small bd-graph-empty' }, 'No dependencies between these tasks.');

  const all = new Map([...external, ...inner]);
  const ids = new Set(all.keys());
  const depsOf = (id) => (inner.has(id) ? inner.get(id).dependsOnTaskIds || [] : []);
  const { back, cycle } = findCycles(ids, depsOf);

  const layer = new Map();
  function layerOf(id, trail = new Set()) {
    if (layer.has(id)) return layer.get(id);
    trail.add(id);
    let value = 0;
    for (const dep of depsOf(id)) {
      if (back.has(`${id}>${dep}`) || trail.has(dep) || !ids.has(dep)) continue;
      value = Math.max(value, layerOf(dep, trail) + 1);
    }
    trail.delete(id);
    layer.set(id, value);
    return value;
  }
  for (const id of ids) layerOf(id);

  const columns = [];
  const sequence = (id) => Number(String(id).split('-').pop()) || 0;
  for (const id of [...ids].sort((a, b) => sequence(a) - sequence(b))) {
    const index = layer.get(id);
    (columns[index] ||= []).push(id);
  }
  // One barycentre pass: order each layer by the mean row of its dependencies, so edges cross less.
  const row = new Map();
  columns.forEach((column, index) => {
    if (index > 0) {
      const weight = (id) => {
        const rows = depsOf(id).filter((dep) => row.has(dep)).map((dep) => row.get(dep));
        return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Number.MAX_SAFE_INTEGER;
      };
      column.sort((a, b) => weight(a) - weight(b) || sequence(a) - sequence(b));
    }
    column.forEach((id, position) => row.set(id, position));
  });

  const position = new Map();
  columns.forEach((column, index) => column.forEach((id, place) => position.set(id, { x: PAD + index * (NODE_W + GAP_X), y: TOP + place * (NODE_H + GAP_Y) })));
  const width = PAD * 2 + columns.length * NODE_W + (columns.length - 1) * GAP_X;
  const height = TOP + PAD + Math.max(...columns.map((column) => column.length)) * (NODE_H + GAP_Y) - GAP_Y;

  const markerId = `bd-arrow-${++graphCount}`;
  const cycleMarkerId = `${markerId}-cycle`;
  const root = svg('svg', { class: 'bd-graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-label': label });
  root.append(
    svg(
      'defs',
      {},
      svg('marker', { id: markerId, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse', class: 'bd-arrow' }, svg('path', { d: 'M0,0 L10,5 L0,10 z' })),
      svg('marker', { id: cycleMarkerId, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse', class: 'bd-arrow bd-arrow-cycle' }, svg('path', { d: 'M0,0 L10,5 L0,10 z' })),
    ),
  );

  const edges = svg('g', { class: 'bd-edges', 'aria-hidden': 'true' });
  for (const [id] of inner) {
    for (const dep of depsOf(id)) {
      const from = position.get(dep);
      const to = position.get(id);
      if (!from || !to) continue;
      const isCycle = back.has(`${id}>${dep}`);
      const x1 = from.x + NODE_W;
      const y1 = from.y + NODE_H / 2;
      const x2 = to.x;
      const y2 = to.y + NODE_H / 2;
      let d;
      const skips = layer.get(id) - layer.get(dep) > 1;
      if (x2 > x1 && skips) {
        // Skips a layer: arc above the rows between, so the edge does not hide behind the nodes it passes.
        const top = Math.min(from.y, to.y) - TOP;
        d = `M${x1},${y1} C${x1 + 70},${top} ${x2 - 70},${top} ${x2},${y2}`;
      } else if (x2 > x1) {
        const bend = (x2 - x1) / 2;
        d = `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
      } else {
        // An edge back to an earlier layer (a cycle): loop below the nodes.
        const low = Math.max(from.y, to.y) + NODE_H + GAP_Y / 2;
        d = `M${x1},${y1} C${x1 + 40},${low + 20} ${x2 - 40},${low + 20} ${x2},${y2}`;
      }
      edges.append(
        svg('path', {
          d,
          class: ['bd-edge', isCycle ? 'bd-edge-cycle' : null, external.has(dep) ? 'bd-edge-external' : null],
          'marker-end': `url(#${isCycle ? cycleMarkerId : markerId})`,
          dataset: { from: dep, to: id },
        }),
      );
    }
  }
  root.append(edges);

  const nodes = svg('g', { class: 'bd-nodes' });
  for (const [id, task] of all) {
    const { x, y } = position.get(id);
    const isExternal = external.has(id);
    const waitingOn = depsOf(id).filter((dep) => all.get(dep) && all.get(dep).status !== 'Completed');
    const node = svg(
      'g',
      {
        class: ['bd-node', `bd-node-${slug(task.status) || 'unknown'}`, isExternal ? 'bd-node-external' : null],
        transform: `translate(${x},${y})`,
        tabindex: 0,
        role: 'link',
        'aria-label': `${id}: ${task.title}${task.status ? `, ${task.status}` : ''}${isExternal ? ', outside this epic' : ''}${waitingOn.length ? `, waits for ${waitingOn.join(', ')}` : ''}`,
        dataset: { taskId: id },
      },
      svg('title', {}, `${id} ${task.title}${task.status ? ` — ${task.status}` : ''}`),
      svg('rect', { width: NODE_W, height: NODE_H, rx: 8, ry: 8, class: 'bd-node-box' }),
      svg('rect', { width: 5, height: NODE_H - 12, x: 6, y: 6, rx: 2, class: 'bd-node-status' }),
      svg('text', { x: 18, y: 20, class: 'bd-node-id' }, id, task.status ? svg('tspan', { class: 'bd-node-state', dx: 6 }, task.status) : null),
      svg('text', { x: 18, y: 38, class: 'bd-node-title' }, truncate(task.title || '', 24)),
    );
    const open = () => onOpen?.(id);
    node.addEventListener('click', open);
    node.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        open();
      }
    });
    nodes.append(node);
  }
  root.append(nodes);

  return el(
    'div',
    { class: 'bd-graph-wrap' },
    cycle ? el('p', { class: 'notice notice-warn bd-small', role: 'note' }, `Dependency cycle: ${cycle.join(' → ')}`) : null,
    el('div', { class: 'bd-graph-scroll' }, root),
    el('p', { class: 'muted bd-small bd-graph-legend' }, 'Arrows point from a dependency to the task waiting for it. Dashed: outside this epic.'),
  );
}
