/// Collects the "listening" events of the daemon's two servers and fires once when both are up.
actor ReadinessGate {
    private var port: Int?
    private var socketReady = false
    private var fired = false
    private let onReady: @Sendable (Int) async -> Void

    init(onReady: @escaping @Sendable (Int) async -> Void) {
        self.onReady = onReady
    }

    func webListening(port: Int) async {
        self.port = port
        await self.fireIfReady()
    }

    func socketListening() async {
        self.socketReady = true
        await self.fireIfReady()
    }

    var isReady: Bool { self.fired }

    private func fireIfReady() async {
        guard !self.fired, self.socketReady, let port = self.port else { return }
        self.fired = true
        await self.onReady(port)
    }
}
