"""The Leerorkest Academie: workshops for teachers, registration, attendance, certificates."""
