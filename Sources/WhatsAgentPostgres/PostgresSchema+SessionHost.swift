/// The columns the concerns beside messaging need (issue 22, the stores of repos, agents and sessions), a migration of
/// its own after ``PostgresSchema/version1``:
/// - an agent's roles keep the order they were given (`agent_role.position`), as SQLite's rows do;
/// - a session keeps what its own host wrote of it: the generated MCP config's path and, for a managed session, its
///   runner's pids and socket. They name files and processes of the host the session runs on (the row's `daemon_id`):
///   only that host's daemon acts on them (re-adoption, cleanup), as on SQLite.
extension PostgresSchema {
    static let sessionHost: [String] = [
        "ALTER TABLE agent_role ADD COLUMN position int NOT NULL DEFAULT 0",
        """
        ALTER TABLE session
            ADD COLUMN mcp_config_path text,
            ADD COLUMN runner_pid int,
            ADD COLUMN child_pid int,
            ADD COLUMN runner_socket text
        """,
    ]
}
