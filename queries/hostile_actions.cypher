// name: hostile_actions
// description: Hostile actions: who attacked, threatened, condemned, accused or sanctioned whom
// params: {actor: ""}
// view: table
// Empty actor means everyone, otherwise the actor on either side (id or name).
MATCH (s:Entity)-[r:ATTACKED|THREATENED|CONDEMNED|ACCUSED|SANCTIONED]->(o:Entity)
WHERE NOT coalesce(r.negated, false)
  AND ($actor = "" OR s.id = $actor OR o.id = $actor
       OR toLower(s.name) = toLower($actor) OR toLower(o.name) = toLower($actor))
RETURN s.name AS actor, type(r) AS action, o.name AS target, r.dates AS dates, r.articles AS articles
ORDER BY action, actor, target
