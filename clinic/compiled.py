"""
Querysets that run on every API call, compiled to SQL once per database connection.

For the small reads an API call makes (the patient of a chart, a patient's progress),
building a queryset and compiling it took Django several times longer than the
database took to run it. A ``CompiledQuery`` keeps the queryset as the one
definition: it is built and compiled on a connection's first call of each shape
(what changes the SQL's text, such as how many clinics a user belongs to), the
compiled parameters are checked against the values the caller will pass, and every
later call sends that SQL with its own values and converts the rows as the ORM would.
"""

import weakref

from django.core.exceptions import EmptyResultSet
from django.db import connections, router


class CompiledQuery:
    """``build(*arguments)`` returns the queryset; ``parameters(database,
    *arguments)`` the values its SQL takes, in order, prepared for ``database`` as
    the ORM prepares them; ``shape(*arguments)`` anything else the SQL's text depends
    on (by default nothing: one statement per connection)."""

    def __init__(self, model, build, parameters, shape=None):
        self.model = model
        self.build = build
        self.parameters = parameters
        self.shape = shape or (lambda *arguments: None)
        # Per database connection (each thread has its own): {shape: (SQL, compiler)},
        # or None for a shape that matches nothing (an empty list of clinics).
        self._statements = weakref.WeakKeyDictionary()

    def _statement(self, database, arguments):
        statements = self._statements.setdefault(database, {})
        shape = self.shape(*arguments)
        if shape not in statements:
            compiler = self.build(*arguments).query.get_compiler(connection=database)
            try:
                sql, parameters = compiler.as_sql()
            except EmptyResultSet:
                statements[shape] = None
            else:
                expected = list(self.parameters(database, *arguments))
                if list(parameters) != expected:
                    raise RuntimeError(f"The query takes {parameters!r}, not {expected!r}: {sql}")
                statements[shape] = sql, compiler
        return statements[shape]

    def _run(self, arguments):
        database = connections[router.db_for_read(self.model)]
        statement = self._statement(database, arguments)
        if statement is None:
            return database, None, []
        sql, compiler = statement
        with database.cursor() as cursor:
            cursor.execute(sql, self.parameters(database, *arguments))
            rows = cursor.fetchall()
        return database, compiler, compiler.results_iter(results=[rows], tuple_expected=True)

    def rows(self, *arguments):
        """The queryset's rows as tuples of the selected columns, converted."""
        return self._run(arguments)[2]

    def instances(self, *arguments):
        """The queryset's model instances, holding the fields it loads (``only``), as
        the ORM builds them."""
        database, compiler, rows = self._run(arguments)
        if compiler is None:
            return []
        fields = compiler.klass_info["select_fields"]
        names = [selected[0].target.attname for selected in compiler.select[fields[0] : fields[-1] + 1]]
        return [self.model.from_db(database.alias, names, row) for row in rows]
