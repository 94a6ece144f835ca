import WhatsAgentAPI

extension WebAssetsResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "xterm": "`vendor/xterm/xterm.js` and `xterm.css` are in the web folder."
    ])
}
