"""expertise: антикоррупционная экспертиза проектов нормативных правовых актов.

Data flows one way: document → units → tokens → findings → outputs.
"""

__version__ = "0.1.0"
