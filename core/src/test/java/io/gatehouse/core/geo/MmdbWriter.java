package io.gatehouse.core.geo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small MaxMind DB files (format 2.0) for tests, so that layouts other than MaxMind's own (DB-IP
 * Lite's, ip-location-db's) are tested on files the tests make: an IPv4 search tree of 24-bit records,
 * a data section of maps, strings and unsigned integers, and the metadata.
 */
final class MmdbWriter {

  private record Entry(int address, int prefix, Map<String, Object> data) {}

  private final String databaseType;
  private final List<Entry> entries = new ArrayList<>();

  MmdbWriter(String databaseType) {
    this.databaseType = databaseType;
  }

  /** Adds {@code a.b.c.d/prefix} with {@code data} (values: String, Long, Integer or Map). */
  MmdbWriter add(String cidr, Map<String, Object> data) {
    String[] parts = cidr.split("/");
    String[] octets = parts[0].split("\\.");
    int address = 0;
    for (String o : octets) {
      address = address << 8 | Integer.parseInt(o);
    }
    entries.add(new Entry(address, Integer.parseInt(parts[1]), data));
    return this;
  }

  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  void write(Path file) throws IOException {
    // The tree: node i has children left[i] and right[i]; -1 empty, >= 0 a node, <= -2 data entry -(v + 2).
    List<int[]> nodes = new ArrayList<>();
    nodes.add(new int[] {-1, -1});
    for (int e = 0; e < entries.size(); e++) {
      Entry en = entries.get(e);
      int node = 0;
      for (int bit = 0; bit < en.prefix; bit++) {
        int side = (en.address >>> (31 - bit)) & 1;
        if (bit == en.prefix - 1) {
          nodes.get(node)[side] = -(e + 2);
        } else {
          if (nodes.get(node)[side] < 0) {
            nodes.add(new int[] {-1, -1});
            nodes.get(node)[side] = nodes.size() - 1;
          }
          node = nodes.get(node)[side];
        }
      }
    }
    int nodeCount = nodes.size();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    int[] offsets = new int[entries.size()];
    for (int e = 0; e < entries.size(); e++) {
      offsets[e] = data.size();
      encode(data, entries.get(e).data);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int[] n : nodes) {
      for (int side = 0; side < 2; side++) {
        int v = n[side];
        long record = v == -1 ? nodeCount : v >= 0 ? v : nodeCount + 16L + offsets[-v - 2];
        out.write((int) (record >>> 16) & 0xff);
        out.write((int) (record >>> 8) & 0xff);
        out.write((int) record & 0xff);
      }
    }
    out.write(new byte[16]);
    out.write(data.toByteArray());
    out.write(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
    out.write("MaxMind.com".getBytes(StandardCharsets.US_ASCII));
    encode(out, map("binary_format_major_version", 2, "binary_format_minor_version", 0, "build_epoch", 1_700_000_000L,
        "database_type", databaseType, "description", map("en", "test data"), "ip_version", 4,
        "languages", List.of("en"), "node_count", (long) nodeCount, "record_size", 24));
    Files.write(file, out.toByteArray());
  }

  private static void encode(ByteArrayOutputStream out, Object value) throws IOException {
    if (value instanceof String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      control(out, 2, b.length);
      out.write(b);
    } else if (value instanceof Integer i) {
      unsigned(out, 5, i);
    } else if (value instanceof Long l) {
      unsigned(out, l > 0xffff_ffffL ? 9 : 6, l);
    } else if (value instanceof Map<?, ?> m) {
      control(out, 7, m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        encode(out, e.getKey());
        encode(out, e.getValue());
      }
    } else if (value instanceof List<?> list) {
      control(out, 11, list.size());
      for (Object o : list) {
        encode(out, o);
      }
    } else {
      throw new IllegalArgumentException("cannot encode " + value);
    }
  }

  private static void unsigned(ByteArrayOutputStream out, int type, long v) {
    int n = 0;
    for (long x = v; x != 0; x >>>= 8) {
      n++;
    }
    control(out, type, n);
    for (int i = n - 1; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)) & 0xff);
    }
  }

  private static void control(ByteArrayOutputStream out, int type, int size) {
    int sizeBits = size < 29 ? size : 29;
    if (type <= 7) {
      out.write(type << 5 | sizeBits);
    } else {
      out.write(sizeBits);
      out.write(type - 7);
    }
    if (size >= 29) {
      if (size - 29 > 255) {
        throw new IllegalArgumentException("too large for this writer: " + size);
      }
      out.write(size - 29);
    }
  }
}
