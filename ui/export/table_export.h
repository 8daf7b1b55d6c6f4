#pragma once
// Results tables for papers: odd-one-out and RSA tables as CSV and LaTeX (booktabs), and methods.md.

#include <QStringList>

class MainWindow;

// Writes results-ooo.{csv,tex}, results-rsa.{csv,tex} (when computed) and methods.md into `folder`
// atomically; returns the files written and appends one-line errors to `errors`.
QStringList exportTables(MainWindow& window, const QString& folder, QStringList* errors);
