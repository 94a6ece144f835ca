// Drag and drop of cards between columns (and lanes): native HTML5 drag events for a mouse, a long press and carry
// for touch, both on one container.
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

  // Touch: browsers give no HTML5 drag events to fingers, so a long press picks the card up and the finger carries a
  // copy of it; lifting drops it on the column under the finger. Moving before the press completes scrolls as usual.
  let touch = null;
  let suppressClick = false;
  function clearTouch() {
    if (!touch) return;
    clearTimeout(touch.timer);
    touch.ghost?.remove();
    touch.card.classList.remove('bd-dragging');
    container.classList.remove('bd-drag-active');
    setOver(null);
    touch = null;
  }
  function zoneAt(x, y) {
    return zoneOf(document.elementFromPoint(x, y));
  }
  function onPointerDown(event) {
    suppressClick = false;
    if (event.pointerType !== 'touch' || touch) return;
    const card = event.target instanceof Element ? event.target.closest('[data-task-id]') : null;
    if (!card || event.target.closest('button, a, input, select, textarea')) return;
    touch = { card, id: event.pointerId, x: event.clientX, y: event.clientY, lifted: false, ghost: null };
    touch.timer = setTimeout(() => {
      if (!touch) return;
      touch.lifted = true;
      const box = card.getBoundingClientRect();
      const ghost = card.cloneNode(true);
      ghost.classList.add('bd-touch-ghost');
      ghost.dataset.testid = 'drag-ghost';
      ghost.setAttribute('aria-hidden', 'true');
      ghost.style.width = `${box.width}px`;
      ghost.style.left = `${box.left}px`;
      ghost.style.top = `${box.top}px`;
      touch.offsetX = touch.x - box.left;
      touch.offsetY = touch.y - box.top;
      document.body.append(ghost);
      touch.ghost = ghost;
      card.classList.add('bd-dragging');
      container.classList.add('bd-drag-active');
      navigator.vibrate?.(15);
    }, 350);
  }
  function onPointerMove(event) {
    if (!touch || event.pointerId !== touch.id) return;
    if (!touch.lifted) {
      if (Math.hypot(event.clientX - touch.x, event.clientY - touch.y) > 8) clearTouch(); // a scroll, not a press
      return;
    }
    touch.ghost.style.left = `${event.clientX - touch.offsetX}px`;
    touch.ghost.style.top = `${event.clientY - touch.offsetY}px`;
    setOver(zoneAt(event.clientX, event.clientY));
  }
  function onPointerUp(event) {
    if (!touch || event.pointerId !== touch.id) return;
    const { lifted, card } = touch;
    const zone = lifted ? zoneAt(event.clientX, event.clientY) : null;
    clearTouch();
    if (!lifted) return;
    event.preventDefault();
    suppressClick = true; // the click that follows the lift is not an "open the card"
    if (zone && card.closest('[data-drop-status]') !== zone) onDrop(card.dataset.taskId, zone.dataset.dropStatus, zone.dataset.dropLane, card, zone);
  }
  function onTouchMove(event) {
    if (touch?.lifted) event.preventDefault(); // keep the page still while a card is carried
  }
  function onContextMenu(event) {
    if (touch) event.preventDefault(); // a long press is a pick-up, not the context menu
  }
  function onClickAfterDrop(event) {
    if (!suppressClick) return;
    suppressClick = false;
    event.preventDefault();
    event.stopPropagation();
  }

  container.addEventListener('pointerdown', onPointerDown);
  document.addEventListener('pointermove', onPointerMove);
  document.addEventListener('pointerup', onPointerUp);
  document.addEventListener('pointercancel', clearTouch);
  document.addEventListener('touchmove', onTouchMove, { passive: false });
  container.addEventListener('contextmenu', onContextMenu);
  container.addEventListener('click', onClickAfterDrop, true);
  container.addEventListener('dragstart', onDragStart);
  container.addEventListener('dragover', onDragOver);
  container.addEventListener('dragleave', onDragLeave);
  container.addEventListener('drop', handleDrop);
  container.addEventListener('dragend', finish);
  return () => {
    clearTouch();
    container.removeEventListener('pointerdown', onPointerDown);
    document.removeEventListener('pointermove', onPointerMove);
    document.removeEventListener('pointerup', onPointerUp);
    document.removeEventListener('pointercancel', clearTouch);
    document.removeEventListener('touchmove', onTouchMove);
    container.removeEventListener('contextmenu', onContextMenu);
    container.removeEventListener('click', onClickAfterDrop, true);
    container.removeEventListener('dragstart', onDragStart);
    container.removeEventListener('dragover', onDragOver);
    container.removeEventListener('dragleave', onDragLeave);
    container.removeEventListener('drop', handleDrop);
    container.removeEventListener('dragend', finish);
  };
}
