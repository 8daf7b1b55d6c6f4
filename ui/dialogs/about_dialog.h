#pragma once

class QWidget;

// Application, Qt and LibTorch versions, and where the science comes from.
void showAboutDialog(QWidget* parent);
