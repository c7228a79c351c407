/**
 * Addresses and networks: {@link io.gatehouse.core.net.IpAddress} and {@link io.gatehouse.core.net.Cidr}
 * value types parsed strictly and without DNS, and {@link io.gatehouse.core.net.IntervalIndex}, the
 * immutable address-interval table behind access rules, lists, reputation feeds and ASN data.
 */
package io.gatehouse.core.net;
