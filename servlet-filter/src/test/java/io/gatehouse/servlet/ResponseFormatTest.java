package io.gatehouse.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseFormatTest {

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "NULL | HTML",
      "'' | HTML",
      "*/* | HTML",
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8 | HTML",
      "application/json | JSON",
      "application/json, text/plain, */* | JSON",
      "application/json;q=0.5, text/html | HTML",
      "text/plain | TEXT",
      "text/* | HTML",
      "text/*;q=0.5, text/plain | TEXT",
      "image/png | HTML",
      "application/json;q=0 | HTML",
      "application/json;q=nonsense, text/plain;q=0.1 | TEXT",
      "APPLICATION/JSON | JSON",
      "text/html;q=0.1, application/json;q=0.2, text/plain;q=0.3 | TEXT",
      "application/json ; q=0.9 , text/html ; q=0.8 | JSON",
      ",,,;;; | HTML",
  })
  void negotiatesTheClientsPreference(String accept, ResponseFormat expected) {
    assertThat(ResponseFormat.negotiate(accept)).isEqualTo(expected);
  }
}
