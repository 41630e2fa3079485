// name: appeals
// description: Appeals and demands: who urged or called on whom, with the sentence that says so
// params: {actor: ""}
// view: table
MATCH (s:Entity)-[r:URGED]->(o:Entity)
WHERE NOT coalesce(r.negated, false)
  AND ($actor = "" OR s.id = $actor OR o.id = $actor
       OR toLower(s.name) = toLower($actor) OR toLower(o.name) = toLower($actor))
OPTIONAL MATCH (:Article)-[:HAS_EVIDENCE]->(ev:Evidence {fact_id: r.id})
WITH s, r, o, ev
ORDER BY ev.article_id, ev.start
RETURN s.name AS actor, o.name AS urged, r.dates AS dates, collect(ev.sentence)[0] AS sentence
ORDER BY actor, urged
