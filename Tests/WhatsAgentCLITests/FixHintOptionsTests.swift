import Testing

@testable import WhatsAgentCLI

/// A fix hint quoted in a refusal runs, when pasted, against the daemon and workspace the refused command named.
@Suite struct FixHintOptionsTests {
    @Test func keepsTheHomeAndTheWorkspaceOnCommandsThatTakeIt() {
        let message = "unknown agent 'api:x'; `whatsagent agent list` shows them, or `whatsagent agent add api:x`"
        let kept = DidYouMean.keepingOptions(message, arguments: ["agent", "show", "api:x", "--workspace", "alpha", "--home", "/h"])
        #expect(
            kept
                == "unknown agent 'api:x'; `whatsagent agent list --workspace alpha --home /h` shows them, or `whatsagent agent add api:x --workspace alpha --home /h`"
        )
    }

    @Test func leavesTheWorkspaceOffCommandsThatDoNotTakeIt() {
        let message = "ask the human to raise it (`whatsagent workspace list`, then `whatsagent workspace set --rate-limit N|off`)"
        let kept = DidYouMean.keepingOptions(message, arguments: ["msg", "send", "--workspace=alpha", "--home=/h"])
        #expect(
            kept == "ask the human to raise it (`whatsagent workspace list --home /h`, then `whatsagent workspace set --rate-limit N|off --home /h`)"
        )
    }

    @Test func neverRepeatsAnOptionTheHintNamesOrTheWorkspaceTheDaemonDidNotKnow() {
        let named = DidYouMean.keepingOptions("`whatsagent repo list --workspace beta`", arguments: ["repo", "list", "--workspace", "alpha"])
        #expect(named == "`whatsagent repo list --workspace beta`")
        let unknown = DidYouMean.keepingOptions(
            "no workspace named or with id 'alpah'; run `whatsagent workspace list` to see the workspaces",
            arguments: ["repo", "list", "--workspace", "alpah", "--home", "/my home"],
            failureCode: "workspace_not_found"
        )
        #expect(unknown == "no workspace named or with id 'alpah'; run `whatsagent workspace list --home '/my home'` to see the workspaces")
    }
}
