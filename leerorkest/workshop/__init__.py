"""The depot's workshops: volunteers and skills, work orders with parts and labour, QA sign-off,
spare parts and maintenance plans."""
