/// The version of this build: the daemon, the CLI and the wire contract share it.
public enum WhatsAgentVersion {
    public static let current = "0.1.0"
}
