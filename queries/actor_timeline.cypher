// name: actor_timeline
// description: An actor's timeline: every fact about it in date order (event date, else first report)
// params: {actor: "United States"}
// view: table
// Matches the actor by id, name or alias. Undated facts are placed at the publication date of
// their first supporting article and flagged dated = false.
MATCH (a:Entity)
WHERE a.id = $actor OR toLower(a.name) = toLower($actor)
   OR any(x IN coalesce(a.aliases, []) WHERE toLower(x) = toLower($actor))
MATCH (a)-[r]-(o:Entity)
WITH r, startNode(r) AS s, endNode(r) AS e
UNWIND CASE WHEN size(coalesce(r.dates, [])) > 0 THEN r.dates ELSE [r.first_seen] END AS when
RETURN when, size(coalesce(r.dates, [])) > 0 AS dated, s.name AS subject, type(r) AS relation,
       e.name AS object, r.negated AS negated, r.articles AS articles
ORDER BY when, relation, subject, object
