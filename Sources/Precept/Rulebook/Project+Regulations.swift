extension Project {
  /// Reads the regulations registry of each rulebook whose rules cite a clause id (of each
  /// requested rulebook too, when `forEveryRulebook`): the directory `explicit` names, or else the
  /// nearest `regulations/` at or above the rulebook's folder, no higher than the root. A rulebook
  /// that cites no clause id reads none, so a project without clause ids never touches a registry.
  ///
  /// Each registry is read once; its problems join `diagnostics` and its files `files`. An
  /// `explicit` directory that does not exist is unreadable (exit 2). A rulebook for which none is
  /// found keeps `registry` nil, and its clause ids are reported by the checker (P0218).
  public mutating func readRegistries(explicit: String?, forEveryRulebook: Bool) {
    if let explicit {
      guard let real = Disk.realPath(explicit), Disk.isDirectory(real) else {
        if !unreadable.contains(where: { $0.path == explicit }) {
          unreadable.append(DiskError(path: explicit, reason: Disk.exists(explicit) ? "not a directory (--registry names the registry's folder)" : "no such directory"))
        }
        return
      }
      let index = registry(display: PathName.normalize(explicit), real: real, bounded: false)
      for u in units.indices { units[u].registry = index }
      return
    }
    for u in units.indices where units[u].registry == nil {
      let cites = units[u].rulebook.rules.contains { !$0.clauses.isEmpty }
      guard cites || (forEveryRulebook && requested.contains(u)) else { continue }
      guard let found = RegulationRegistry.find(from: PathName.directory(of: units[u].rulebook.file.path), root: root) else { continue }
      units[u].registry = registry(display: found.display, real: found.real, bounded: true)
    }
  }

  /// The index of the registry at `real`, read now if it was not read before.
  private mutating func registry(display: String, real: String, bounded: Bool) -> Int {
    if let i = registryByRealPath[real] { return i }
    let loaded = RegulationRegistry.load(display: display, real: real, root: bounded ? root : nil)
    diagnostics += loaded.diagnostics
    files.merge(loaded.files) { old, _ in old }
    registries.append(loaded)
    registryByRealPath[real] = registries.count - 1
    return registries.count - 1
  }
}
