// Drag and drop of cards between columns (and lanes), with native HTML5 drag events on one container.
// Cards carry `data-task-id`, drop zones `data-drop-status` (and `data-drop-lane` in lane mode). The keyboard path
// (Alt+←/→, the move menu) lives in the board page; both end in the same `onDrop(taskId, status, lane, card, zone)`.

export function enableDragAndDrop(container, onDrop) {
  let dragged = null;
  let over = null;

  function setOver(zone) {
    if (over === zone) return;
    over?.classList.remove('bd-drop-over');
    over = zone;
    over?.classList.add('bd-drop-over');
  }

  function zoneOf(target) {
    return target instanceof Element ? target.closest('[data-drop-status]') : null;
  }

  function onDragStart(event) {
    const card = event.target instanceof Element ? event.target.closest('[data-task-id]') : null;
    if (!card || !container.contains(card)) return;
    dragged = card;
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', card.dataset.taskId);
    card.classList.add('bd-dragging');
    container.classList.add('bd-drag-active');
  }

  function onDragOver(event) {
    const zone = zoneOf(event.target);
    if (!zone || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    setOver(zone);
  }

  function onDragLeave(event) {
    const zone = zoneOf(event.target);
    if (zone && zone === over && !zone.contains(event.relatedTarget)) setOver(null);
  }

  function finish() {
    dragged?.classList.remove('bd-dragging');
    container.classList.remove('bd-drag-active');
    setOver(null);
    dragged = null;
  }

  function handleDrop(event) {
    const zone = zoneOf(event.target);
    if (!zone || !dragged) return;
    event.preventDefault();
    const card = dragged;
    finish();
    const sameZone = card.closest('[data-drop-status]') === zone;
    if (sameZone) return;
    onDrop(card.dataset.taskId, zone.dataset.dropStatus, zone.dataset.dropLane, card, zone);
  }

  container.addEventListener('dragstart', onDragStart);
  container.addEventListener('dragover', onDragOver);
  container.addEventListener('dragleave', onDragLeave);
  container.addEventListener('drop', handleDrop);
  container.addEventListener('dragend', finish);
  return () => {
    container.removeEventListener('dragstart', onDragStart);
    container.removeEventListener('dragover', onDragOver);
    container.removeEventListener('dragleave', onDragLeave);
    container.removeEventListener('drop', handleDrop);
    container.removeEventListener('dragend', finish);
  };
}
