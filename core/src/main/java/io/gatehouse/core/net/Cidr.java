package io.gatehouse.core.net;

/**
 * A network: an address and a prefix length, such as {@code 203.0.113.0/24} or {@code 2001:db8::/32}.
 *
 * <p>Parsing is strict. A network whose address has bits set past the prefix ({@code 10.0.0.1/8}) is
 * rejected with a message naming the network the writer probably meant, because silently masking it
 * would block or allow far more than the line seems to say. A bare address is a host network (/32 or
 * /128). An IPv4-mapped IPv6 network ({@code ::ffff:10.0.0.0/104}) is the IPv4 network it maps.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Cidr implements Comparable<Cidr> {

  private final IpAddress network;
  private final int prefixLength;

  private Cidr(IpAddress network, int prefixLength) {
    this.network = network;
    this.prefixLength = prefixLength;
  }

  /**
   * The network of this address and prefix length.
   *
   * @throws IllegalArgumentException if the prefix is out of range or the address has host bits set
   */
  public static Cidr of(IpAddress address, int prefixLength) {
    if (prefixLength < 0 || prefixLength > address.bitLength()) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " is outside 0.." + address.bitLength() + " for " + address);
    }
    IpAddress masked = address.mask(prefixLength);
    if (!masked.equals(address)) {
      throw new IllegalArgumentException("'" + address + "/" + prefixLength + "' has host bits set; the network is "
          + masked + "/" + prefixLength);
    }
    return new Cidr(address, prefixLength);
  }

  /** The network holding just this address. */
  public static Cidr host(IpAddress address) {
    return new Cidr(address, address.bitLength());
  }

  /** The network of the first {@code prefixLength} bits of {@code address}, host bits cleared. */
  public static Cidr covering(IpAddress address, int prefixLength) {
    return new Cidr(address.mask(prefixLength), prefixLength);
  }

  /**
   * Parses {@code address/prefix} or a bare address.
   *
   * @throws IllegalArgumentException echoing the input and saying what is wrong
   */
  public static Cidr parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("an empty string is not a network");
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      return host(IpAddress.parse(text));
    }
    String addressPart = text.substring(0, slash);
    String prefixPart = text.substring(slash + 1);
    IpAddress parsed = IpAddress.tryParse(addressPart);
    if (parsed == null) {
      throw new IllegalArgumentException("'" + text + "' is not a network: "
          + IpAddress.explainRejection(addressPart));
    }
    int prefix = parsePrefix(prefixPart);
    // The prefix was written against the literal's family; a mapped literal counts 96 bits of ::ffff:0:0/96.
    boolean mappedLiteral = parsed.isV4() && addressPart.indexOf(':') >= 0;
    int maxPrefix = mappedLiteral || addressPart.indexOf(':') >= 0 ? 128 : 32;
    if (prefix < 0 || prefix > maxPrefix) {
      throw new IllegalArgumentException("'" + text + "' is not a network: the prefix length must be 0.." + maxPrefix);
    }
    if (mappedLiteral) {
      if (prefix < 96) {
        throw new IllegalArgumentException("'" + text + "' is not a network: an IPv4-mapped prefix must be /96 or longer");
      }
      prefix -= 96;
    }
    IpAddress masked = parsed.mask(prefix);
    if (!masked.equals(parsed)) {
      int shownPrefix = mappedLiteral ? prefix + 96 : prefix;
      String shownNetwork = mappedLiteral ? "::ffff:" + masked : masked.toString();
      throw new IllegalArgumentException("'" + text + "' has host bits set; the network is " + shownNetwork + "/" + shownPrefix);
    }
    return new Cidr(parsed, prefix);
  }

  private static int parsePrefix(String s) {
    if (s.isEmpty() || s.length() > 3) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  public IpAddress network() {
    return network;
  }

  public int prefixLength() {
    return prefixLength;
  }

  public boolean isV4() {
    return network.isV4();
  }

  /** Whether this network is a single address. */
  public boolean isHost() {
    return prefixLength == network.bitLength();
  }

  /** The first address of the network (the network address). */
  public IpAddress first() {
    return network;
  }

  /** The last address of the network. */
  public IpAddress last() {
    if (network.isV4()) {
      long hostMask = prefixLength == 0 ? 0xffff_ffffL : (1L << (32 - prefixLength)) - 1;
      return IpAddress.ofV4((int) (network.lo() | hostMask));
    }
    return IpAddress.rawV6(network.hi() | ~Bits.highMask(prefixLength), network.lo() | ~Bits.lowMask(prefixLength));
  }

  /** Whether {@code address} lies in this network (never across families). */
  public boolean contains(IpAddress address) {
    return address.isV4() == network.isV4() && address.mask(prefixLength).equals(network);
  }

  @Override
  public int compareTo(Cidr o) {
    int c = network.compareTo(o.network);
    return c != 0 ? c : Integer.compare(prefixLength, o.prefixLength);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefixLength == prefixLength && c.network.equals(network);
  }

  @Override
  public int hashCode() {
    return network.hashCode() * 131 + prefixLength;
  }

  /** {@code network/prefix}, always with the prefix. */
  @Override
  public String toString() {
    return network + "/" + prefixLength;
  }
}
