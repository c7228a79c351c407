package io.gatehouse.core.rules.expr;

/** The types of the rules language, named as Cloudflare names them in messages. */
enum Type {
  STRING("String", "a String"),
  INTEGER("Integer", "an Integer"),
  IP("IP", "an IP"),
  BOOLEAN("Boolean", "a Boolean"),
  /** {@code Array<String>}: the values of one header, the names of the query's arguments, ... */
  ARRAY("Array", "an Array"),
  /** {@code Array<Array<String>>}: for each part of a multipart body, its names, its file names, ... */
  ARRAYS("Array<Array>", "an Array of Arrays"),
  /** {@code Map<Array<String>>}: the request headers by lower-case name, the query's arguments by name, ... */
  MAP("Map", "a Map");

  final String title;
  final String withArticle;

  Type(String title, String withArticle) {
    this.title = title;
    this.withArticle = withArticle;
  }
}
