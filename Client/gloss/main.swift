import GlossCommands

// `gloss`: the analyst's offline-first annotation client (see GlossCommands for the commands).

Gloss.run()
