package io.gatehouse.core.policy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps what was loaded from large files (geo databases, feeds) between reloads, so that changing one
 * line of the properties does not re-read a 60 MB database. An entry is reused while the file's size
 * and modification time are unchanged. Thread-safe; reloads are serialised by the engine anyway.
 */
final class FileCache {

  @FunctionalInterface
  interface Loader<T> {
    T load(Path path) throws IOException;
  }

  private record Key(String kind, Path path) {}

  private record Entry(FileStamp stamp, Object value) {}

  private final Map<Key, Entry> entries = new HashMap<>();

  @SuppressWarnings("unchecked")
  synchronized <T> T get(String kind, Path path, Loader<T> loader) throws IOException {
    Key key = new Key(kind, path.toAbsolutePath().normalize());
    FileStamp stamp = FileStamp.of(path);
    Entry e = entries.get(key);
    if (e != null && e.stamp.equals(stamp) && stamp.exists()) {
      return (T) e.value;
    }
    T value = loader.load(path);
    entries.put(key, new Entry(stamp, value));
    return value;
  }
}
