/// The version of this tool, stored with every run and every study's output.
public let decoyVersion = "0.1.0"
