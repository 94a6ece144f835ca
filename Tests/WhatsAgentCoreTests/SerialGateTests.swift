import Testing

@testable import WhatsAgentCore

/// ``SerialGate`` runs an actor's operations one at a time across their suspension points, and an
/// operation may call another of the same gate (WorkspaceService's lifecycle, issue 22).
@Suite struct SerialGateTests {
    actor Steps {
        let gate = SerialGate()
        var running = 0
        var mostAtOnce = 0
        var finished: [Int] = []

        /// One operation with several suspension points, at each of which the actor alone would run another call.
        func step(_ index: Int) async {
            await self.gate.run {
                self.running += 1
                self.mostAtOnce = max(self.mostAtOnce, self.running)
                for _ in 0..<20 { await Task.yield() }
                self.running -= 1
                self.finished.append(index)
            }
        }

        /// An operation that calls another of the gate inside its own turn.
        func nested() async -> Int {
            await self.gate.run {
                await self.gate.run { 42 }
            }
        }
    }

    @Test func operationsRunOneAtATimeAcrossTheirSuspensionPoints() async {
        let steps = Steps()

        await withTaskGroup(of: Void.self) { group in
            for index in 0..<16 { group.addTask { await steps.step(index) } }
        }

        #expect(await steps.mostAtOnce == 1)
        #expect(await steps.finished.count == 16)
    }

    @Test func anOperationMayCallAnotherOfTheSameGate() async {
        let steps = Steps()

        async let first = steps.nested()
        async let second = steps.nested()

        #expect(await [first, second] == [42, 42])
    }
}
