import WhatsAgentAPI

extension WebAssetsResponse: SchemaDocumented {
    static var schemaNotes: SchemaNotes {
        SchemaNotes(fields: [
            "xterm": "`vendor/xterm/xterm.js` and `xterm.css` are in the web folder."
        ])
    }
}
