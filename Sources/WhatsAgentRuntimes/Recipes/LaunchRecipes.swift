import Foundation
import WhatsAgentAPI

/// Turns a ``LaunchRequest`` into a ``LaunchPlan``, per runtime (SPEC §6.3, `reference/runtime-integration.md`).
///
/// ```swift
/// let plan = try LaunchRecipes.plan(request)
/// try plan.writeFiles()
/// // the runner starts plan.executable with plan.arguments, plan.environment, plan.workingDirectory
/// ```
/// User-supplied arguments come first and are kept as given; injected flags follow and are skipped when the user
/// already gave them.
public enum LaunchRecipes {
    /// - Parameter lookup: Where the command is searched; by default the `PATH` of the planned environment, with
    ///   relative paths taken from the working directory.
    /// - Throws: ``RuntimeError`` when the command cannot be found.
    public static func plan(_ request: LaunchRequest, lookup: ExecutableLookup? = nil) throws -> LaunchPlan {
        var plan = LaunchPlan(
            executable: "",
            arguments: request.arguments,
            environment: self.environment(request),
            workingDirectory: request.workingDirectory,
            files: [],
            push: .none
        )
        switch request.runtime {
        case .claude: ClaudeRecipe.apply(request, to: &plan)
        case .codex: CodexRecipe.apply(request, to: &plan)
        case .opencode: try OpenCodeRecipe.apply(request, to: &plan)
        case .pi: try PiRecipe.apply(request, to: &plan)
        case .custom: CustomRecipe.apply(request, to: &plan)
        }
        let resolver = lookup ?? ExecutableLookup(environment: plan.environment, workingDirectory: request.workingDirectory)
        plan.executable = try resolver.require(request.command, runtime: request.runtime)
        if request.runtime == .codex, request.codexAppServer { try CodexRecipe.attachToAppServer(request, &plan) }
        return plan
    }

    /// The base environment without inherited session variables (another session's token must never leak into
    /// this one), plus this session's variables.
    static func environment(_ request: LaunchRequest) -> [String: String] {
        var environment = request.baseEnvironment
        for name in SessionEnvironment.all { environment[name] = nil }
        environment.merge(request.sessionEnvironment) { _, new in new }
        return environment
    }

    /// The PTY nudge when pushes are on and nudges are not switched off.
    static func nudge(_ push: PushSettings) -> PushStrategy {
        guard push.enabled, let idle = push.nudgeIdle else { return .none }
        return .ptyNudge(idle: idle)
    }
}
