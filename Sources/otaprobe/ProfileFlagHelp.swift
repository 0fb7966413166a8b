import ArgumentParser

/// What `--profile` accepts in the command at hand, so that no command's help offers a value
/// the command then refuses: `check` takes 'all' (every profile, the matrix), `matrix` shares
/// check's options and runs every profile anyway, `inspect` judges one device.
protocol ProfileFlagHelp {
    static var help: ArgumentHelp { get }
}

/// `check` (and `matrix`, which shares check's options and accepts only 'all').
enum OneOrAllProfiles: ProfileFlagHelp {
    static let help = ArgumentHelp(
        "Device profile: a name or alias (otaprobe profiles lists them), a path to a profile file, or 'all' for every profile at once. matrix accepts only 'all' here: it chooses its profiles with --family and --profiles.",
        valueName: "name|path|all")
}

/// `inspect`: one device to judge the image against.
enum OneProfile: ProfileFlagHelp {
    static let help = ArgumentHelp(
        "Device profile: a name or alias (otaprobe profiles lists them) or a path to a profile file.",
        valueName: "name|path")
}
