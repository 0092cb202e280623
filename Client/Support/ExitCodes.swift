/// The one exit-code table, printed by `gloss --help` and repeated in the README (a test
/// checks that they agree).
enum ExitCodes {
    static let table = """
        Exit status:
          0   done
          1   failed (storage, an unreachable server, …): the message says why
          3   not found, or not found uniquely (an id prefix or a quote naming several)
          4   not allowed (your role, a refused token, a membership the server removed)
          5   some inputs refused (files by `gloss import`, operations by
              `gloss sync`, taken out by `gloss keys verify`); the rest went through
          64  a mistake on the command line (see the command's --help)
        """
}
