#!/usr/bin/env python3
"""Writes the whatsagent(1) man page (roff) from the command tree that `whatsagent --experimental-dump-help` prints
(ArgumentParser's ToolInfo JSON), so the page always matches the command definitions. Reads JSON on stdin, writes
roff to stdout. Hidden commands and options (shouldDisplay false) stay hidden. `make install` runs it."""

import json
import sys


def roff(text: str) -> str:
    """Escapes text for roff: backslashes, and a leading dot or quote."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + line) if line[:1] in (".", "'") else line for line in text.splitlines())


def synopsis(argument: dict) -> str:
    names = argument.get("names") or []
    preferred = argument.get("preferredName") or (names[0] if names else None)
    value = argument.get("valueName") or ""
    if argument.get("kind") == "positional":
        text = value.upper()
    else:
        dash = "--" if (preferred or {}).get("kind") == "long" else "-"
        text = dash + (preferred or {}).get("name", value)
        if argument.get("kind") == "option":
            text += " " + value.upper()
    if argument.get("isRepeating"):
        text += " ..."
    return f"[{text}]" if argument.get("isOptional") else text


def visible(items):
    return [item for item in items or [] if item.get("shouldDisplay", True)]


def command_section(command: dict, path: list[str], out: list[str]) -> None:
    arguments = visible(command.get("arguments"))
    arguments = [a for a in arguments if not any(n.get("name") in ("help", "version") for n in a.get("names") or [])]
    subcommands = visible(command.get("subcommands"))
    if len(path) > 1 or not subcommands:
        out.append(".SS " + roff(" ".join(path)))
        out.append(".B " + roff(" ".join(path)) + (" " + roff(" ".join(synopsis(a) for a in arguments)) if arguments else ""))
        out.append(".br")
        if command.get("abstract"):
            out.append(roff(command["abstract"]))
        if command.get("discussion"):
            out.append(".PP")
            out.append(".nf")
            out.append(roff(command["discussion"]))
            out.append(".fi")
        for argument in arguments:
            out.append(".TP")
            out.append(".B " + roff(synopsis(argument).strip("[]")))
            out.append(roff(argument.get("abstract") or ""))
    for sub in subcommands:
        command_section(sub, path + [sub["commandName"]], out)


def main() -> None:
    tool = json.load(sys.stdin)
    root = tool["command"]
    name = root["commandName"]
    out = [
        f'.TH {name.upper()} 1 "" "{name}" "User Commands"',
        ".SH NAME",
        f"{name} \\- {roff(root.get('abstract', ''))}",
        ".SH SYNOPSIS",
        f".B {name}",
        ".I COMMAND",
        "[\\fIOPTIONS\\fR]",
        ".SH DESCRIPTION",
        roff(root.get("discussion", "")),
        ".PP",
        f"Every command takes \\fB\\-\\-home DIR\\fR; see \\fB{name} help COMMAND\\fR for one command.",
        ".SH COMMANDS",
    ]
    command_section(root, [name], out)
    out += [".SH FILES", "~/.whatsagent (the default home)", ".SH SEE ALSO", "The README and docs/ of the WhatsAgent sources."]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
