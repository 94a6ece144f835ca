/// A one-way latch: tasks wait until it opens; cancellation releases a waiter too.
actor Gate {
    private(set) var isOpen = false
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextKey = 0

    func open() {
        self.isOpen = true
        for waiter in self.waiters.values { waiter.resume() }
        self.waiters = [:]
    }

    /// Returns once the gate is open (or the waiting task is cancelled).
    func wait() async {
        guard !self.isOpen else { return }
        let key = self.nextKey
        self.nextKey += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if self.isOpen || Task.isCancelled {
                    continuation.resume()
                } else {
                    self.waiters[key] = continuation
                }
            }
        } onCancel: {
            // The handler is synchronous; bridge to the actor to release the waiter.
            Task { await self.release(key) }
        }
    }

    private func release(_ key: Int) {
        self.waiters.removeValue(forKey: key)?.resume()
    }
}
