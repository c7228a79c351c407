package io.gatehouse.core.geo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a MaxMind DB file (format 2.0) of type {@code GeoIP2-City-Test} holding one IPv4 network and
 * one city record, for tests: no city test database ships with the project's test data, and the format
 * is small enough to write (a binary search tree of 24-bit records, a data section of typed values, and
 * the metadata map after its marker).
 */
final class TinyCityDatabase {

  private TinyCityDatabase() {}

  /** Writes the database to {@code file}: {@code network}/{@code prefix} holds {@code record}. */
  static void write(Path file, byte[] network, int prefix, Map<String, Object> record) throws IOException {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    encode(record, data);
    int nodes = prefix;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < nodes; i++) {
      int bit = (network[i / 8] >> (7 - i % 8)) & 1;
      int next = i + 1 < nodes ? i + 1 : nodes + 16; // the last record points at the data's first byte
      int left = bit == 0 ? next : nodes;
      int right = bit == 1 ? next : nodes;
      out.write(left >> 16);
      out.write(left >> 8);
      out.write(left);
      out.write(right >> 16);
      out.write(right >> 8);
      out.write(right);
    }
    out.write(new byte[16]);
    out.write(data.toByteArray());
    out.write(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
    out.write("MaxMind.com".getBytes(StandardCharsets.US_ASCII));
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("node_count", (long) nodes);
    metadata.put("record_size", 24);
    metadata.put("ip_version", 4);
    metadata.put("database_type", "GeoIP2-City-Test");
    metadata.put("languages", List.of("en"));
    metadata.put("binary_format_major_version", 2);
    metadata.put("binary_format_minor_version", 0);
    metadata.put("build_epoch", 1_700_000_000L);
    metadata.put("description", Map.of("en", "tiny city test db"));
    encode(metadata, out);
    Files.write(file, out.toByteArray());
  }

  /** Encodes a value: String, Integer (uint16), Long (uint32), Double, List (array) or Map. */
  private static void encode(Object value, ByteArrayOutputStream out) {
    if (value instanceof String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      control(2, b.length, out);
      out.write(b, 0, b.length);
    } else if (value instanceof Integer n) {
      control(5, 2, out);
      out.write(n >> 8);
      out.write(n);
    } else if (value instanceof Long n) {
      control(6, 4, out);
      for (int shift = 24; shift >= 0; shift -= 8) {
        out.write((int) (n >> shift));
      }
    } else if (value instanceof Double d) {
      control(3, 8, out);
      long bits = Double.doubleToLongBits(d);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (bits >> shift));
      }
    } else if (value instanceof List<?> list) {
      out.write(list.size()); // an extended type: size in the control byte, type 11 - 7 in the next
      out.write(11 - 7);
      for (Object element : list) {
        encode(element, out);
      }
    } else {
      Map<?, ?> map = (Map<?, ?>) value;
      control(7, map.size(), out);
      for (Map.Entry<?, ?> e : map.entrySet()) {
        encode(e.getKey(), out);
        encode(e.getValue(), out);
      }
    }
  }

  private static void control(int type, int size, ByteArrayOutputStream out) {
    if (size >= 29) {
      throw new IllegalArgumentException("sizes of 29 and more are not written here");
    }
    out.write(type << 5 | size);
  }
}
