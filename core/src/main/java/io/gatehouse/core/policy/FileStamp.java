package io.gatehouse.core.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a file looked like when read: whether it existed, its size and modification time. Two stamps
 * differ when the file was changed, replaced, created or deleted.
 */
record FileStamp(Path path, boolean exists, long size, long modifiedNanos) {

  static FileStamp of(Path path) {
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      return new FileStamp(path, true, a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
    } catch (IOException e) {
      return new FileStamp(path, false, -1, -1);
    }
  }
}
