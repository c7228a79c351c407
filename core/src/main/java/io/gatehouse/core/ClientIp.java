package io.gatehouse.core;

import io.gatehouse.core.net.IpAddress;
import java.util.Locale;

/**
 * The address a request is judged by, the connection peer it came from, and how the one was derived
 * from the other.
 *
 * @param address the client's address, or {@code null} when none could be determined (then no address
 *     rule matches and the request is judged on everything else)
 * @param peer the connection's peer address, or {@code null} when the server reported none that parses
 * @param derivation how {@code address} was chosen
 */
public record ClientIp(IpAddress address, IpAddress peer, Derivation derivation) {

  /** How the client address was chosen. */
  public enum Derivation {
    /** No forwarding header is configured: the client is the connection's peer. */
    PEER,
    /** The peer is not a trusted proxy, so any forwarding header was ignored: the client is the peer. */
    UNTRUSTED_PEER,
    /** A trusted proxy sent no usable forwarding header: the client is the peer. */
    NO_HEADER,
    /** The first untrusted hop in the forwarding header, walking from the right. */
    HEADER,
    /** Every hop in the header is a trusted proxy: the leftmost hop. */
    ALL_TRUSTED,
    /**
     * A hop that is not an address ({@code unknown}, an obfuscated token, garbage) ended the walk: the
     * last trusted address before it, which is the proxy that accepted the connection from it.
     */
    INVALID_HOP,
    /** The walk reached the hop limit: the last trusted address reached. */
    TOO_MANY_HOPS;

    /** The snake-case name used in events and JSON. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The peer judged as itself. */
  public static ClientIp ofPeer(IpAddress peer) {
    return new ClientIp(peer, peer, Derivation.PEER);
  }

  /** The client address as text, or {@code "unknown"}. */
  public String addressText() {
    return address == null ? "unknown" : address.toString();
  }

  /** The peer address as text, or {@code "unknown"}. */
  public String peerText() {
    return peer == null ? "unknown" : peer.toString();
  }
}
