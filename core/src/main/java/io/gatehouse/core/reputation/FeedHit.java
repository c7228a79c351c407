package io.gatehouse.core.reputation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The feeds that list one address, and the score they give it (the highest of theirs). Shared between
 * all addresses listed by the same feeds with the same scores.
 *
 * @param score the highest listing score
 * @param listings every feed that lists the address, with its score, in configuration order
 */
public record FeedHit(int score, List<Listing> listings) {

  /** One feed's listing. */
  public record Listing(String feed, int score) {
    @Override
    public String toString() {
      return feed + " " + score;
    }
  }

  public FeedHit {
    listings = List.copyOf(listings);
  }

  /** The names of the listing feeds. */
  public List<String> feeds() {
    return listings.stream().map(Listing::feed).toList();
  }

  /** Both hits together, the result interned in {@code interned} so equal combinations share one object. */
  static FeedHit combine(FeedHit a, FeedHit b, Map<List<Listing>, FeedHit> interned) {
    List<Listing> all = new ArrayList<>(a.listings.size() + b.listings.size());
    all.addAll(a.listings);
    all.addAll(b.listings);
    return interned.computeIfAbsent(all, l -> new FeedHit(Math.max(a.score, b.score), l));
  }

  @Override
  public String toString() {
    return listings.toString();
  }
}
