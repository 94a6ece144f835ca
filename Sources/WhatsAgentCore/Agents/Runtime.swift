import WhatsAgentAPI

/// The agent runtimes WhatsAgent knows how to launch (SPEC §6.3); declared once, in WhatsAgentAPI.
public typealias Runtime = RuntimeValue
